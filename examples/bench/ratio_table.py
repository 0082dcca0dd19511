"""Prints compare.sh's Markdown ratio table from its JSON lines: median [min-max] per cell."""
import json
import os
import platform
import statistics
import subprocess
import sys


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return rows


def pick(rows, **want):
    return [r for r in rows if all(r.get(k) == v for k, v in want.items()) and "skipped" not in r]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def rng(values):
    values = [v for v in values if v is not None]
    return f"[{min(values):,.0f}–{max(values):,.0f}]" if values else ""


def fmt(v, unit=""):
    return "–" if v is None else f"{v:,.0f}{unit}"


def machine(start_load, end_load):
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} vCPU ({cpu}), {mem:.0f} GiB RAM, Linux {platform.release()}, "
            f"{java[0] if java else 'java'}; 1/5/15-min load average {start_load} at the start, "
            f"{end_load} at the end")


def warmups(rows):
    keel = sorted({(r.get("jit_warmup_s", 0), r.get("warmup_s")) for r in rows
                   if r.get("impl") == "keel" and "warmup_s" in r})
    peers = sorted({r.get("warmup_s") for r in rows if r.get("impl") != "keel" and "warmup_s" in r})
    k = ", ".join(f"{j} s once per group + {w} s per cell" for j, w in keel) or "none"
    p = ", ".join(f"{w} s per run (fresh JVM)" for w in peers) or "none"
    return f"Warm-up: Keel {k}; peers {p}."


def main():
    rows = load(sys.argv[1])
    print(f"Machine: {machine(sys.argv[2], sys.argv[3])}.\n")
    print(warmups(rows) + "\n")
    print("| cell | C | Keel ops/s | Keel p50 / p99 µs | peer | peer ops/s | peer p50 / p99 µs "
          "| ratio | target | met |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---|---|")
    cells = [
        ("loopback-tls durable-fsync vs SOFAJRaft loopback-tcp rocksdb-fsync", "loopback-tls",
         "durable-fsync", dict(lib="sofa-jraft", storage="rocksdb-fsync"), "SOFAJRaft 1.4.1",
         {256: ("≥ 1.5×, p99 no worse", 1.5, True), 32: ("≥ 1.2×", 1.2, False),
          1: ("p50 ≤ peer's", None, False)}),
        ("loopback-tls durable-fsync vs Ratis loopback-tcp segmented-fsync", "loopback-tls",
         "durable-fsync", dict(lib="ratis", storage="segmented-fsync"), "Ratis 3.2.0 (gRPC)", {}),
        ("in-process memory vs MicroRaft in-process", "in-process", "memory",
         dict(lib="microraft", storage="memory"), "MicroRaft 0.7",
         {256: ("≥ 2.5×", 2.5, False), 1: ("p50 ≤ peer's", None, False)}),
    ]
    for title, topo, storage, peer_want, peer_name, targets in cells:
        for c in (1, 32, 256):
            k = pick(rows, impl="keel", scenario="writes", topology=topo, storage=storage, clients=c)
            p = pick(rows, clients=c, **peer_want)
            if not p and (not k or not targets):  # a peer without targets: only where it ran
                continue
            kops, pops = med([r["ops_per_s"] for r in k]), med([r["ops_per_s"] for r in p])
            kp50, pp50 = med([r["p50_us"] for r in k]), med([r["p50_us"] for r in p])
            kp99, pp99 = med([r["p99_us"] for r in k]), med([r["p99_us"] for r in p])
            ratio = kops / pops if kops and pops else None
            target, need, p99_rule = targets.get(c, ("", None, False))
            met = ""
            if target:
                if need is None:
                    met = "yes" if kp50 is not None and pp50 is not None and kp50 <= pp50 else "no"
                else:
                    ok = ratio is not None and ratio >= need
                    if p99_rule:
                        ok = ok and kp99 is not None and pp99 is not None and kp99 <= pp99
                    met = "yes" if ok else "no"
            print(f"| {topo} {storage} | {c} | {fmt(kops)} {rng([r['ops_per_s'] for r in k])} | "
                  f"{fmt(kp50)} / {fmt(kp99)} | {peer_name} | {fmt(pops)} "
                  f"{rng([r['ops_per_s'] for r in p])} | {fmt(pp50)} / {fmt(pp99)} | "
                  f"{'–' if ratio is None else f'{ratio:.2f}×'} | {target} | {met} |")
    k = pick(rows, impl="keel", scenario="writes", topology="in-process", storage="durable-fsync",
             clients=256)
    if k:
        kops = med([r["ops_per_s"] for r in k])
        print(f"| in-process durable-fsync | 256 | {fmt(kops)} {rng([r['ops_per_s'] for r in k])} | "
              f"{fmt(med([r['p50_us'] for r in k]))} / {fmt(med([r['p99_us'] for r in k]))} | – | – "
              f"| – | – | ≥ 200,000 writes/s | {'yes' if kops >= 200000 else 'no'} |")
    writes = pick(rows, impl="keel", scenario="writes", topology="loopback-tls",
                  storage="durable-fsync", clients=256)
    reads = pick(rows, impl="keel", scenario="reads-linearizable", topology="loopback-tls",
                 clients=256)
    if reads and writes:
        rops, wops = med([r["ops_per_s"] for r in reads]), med([r["ops_per_s"] for r in writes])
        print(f"| loopback-tls linearizable reads | 256 | {fmt(rops)} {rng([r['ops_per_s'] for r in reads])} "
              f"| {fmt(med([r['p50_us'] for r in reads]))} / {fmt(med([r['p99_us'] for r in reads]))} "
              f"| Keel's own writes | {fmt(wops)} | – | {rops / wops:.2f}× | ≥ 2× | "
              f"{'yes' if rops >= 2 * wops else 'no'} |")
    trials = [r for r in pick(rows, impl="keel", scenario="failover") if "trial" in r]
    jraft = [r.get("failover_ms") for r in pick(rows, lib="sofa-jraft", storage="rocksdb-fsync")]
    if trials:
        f = [r["failover_ms"] for r in trials]
        fmed, fmax = statistics.median(f), max(f)
        jm = med(jraft)
        print(f"| failover (leader process SIGKILL, loopback-tls) | 32 | median {fmed:,.0f} ms, max "
              f"{fmax:,.0f} ms ({len(f)} trials) | – | SOFAJRaft (in-JVM kill) | "
              f"{'–' if jm is None else f'median {jm:,.0f} ms'} | – | – | median ≤ 500 ms, max ≤ 1 s "
              f"| {'yes' if fmed <= 500 and fmax <= 1000 else 'no'} |")


if __name__ == "__main__":
    main()
