"""Summarizes a JFR recording's CPU samples: share by component (first match), thread, hottest
frames. Usage: python3 jfr_top.py recording.jfr [rows]. Needs the JDK's jfr tool on the PATH."""
import sys, subprocess, collections, re
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
out = subprocess.run(["jfr","print","--events","jdk.ExecutionSample","--stack-depth","40",f],capture_output=True,text=True).stdout
samples = []
cur = None
for line in out.splitlines():
    s = line.strip()
    if s.startswith("jdk.ExecutionSample"):
        cur = {"thread":"", "stack":[]}; samples.append(cur)
    elif s.startswith("sampledThread"):
        cur["thread"] = s.split('"')[1] if '"' in s else s
    elif cur is not None and (s.endswith(")") or "line:" in s) and "(" in s and not s.startswith("startTime"):
        fr = re.sub(r"\s+line:.*","",s)
        fr = re.sub(r"\(.*\)","",fr)
        cur["stack"].append(fr)
self_c = collections.Counter(); incl = collections.Counter(); threads = collections.Counter()
cats = collections.Counter()
def cat(stack):
    j = " ".join(stack)
    for key,name in [("javax.net.ssl","tls"),("sun.security.ssl","tls"),("com.sun.crypto","tls"),("sun.security","tls"),("org.rocksdb","rocksdb"),("esotericsoftware","kryo"),("serialization","serialization"),("artery","artery"),("pekko.stream","streams"),("dev.keel.raft.internal","keel-internal"),("dev.keel.raft.persistence","keel-persistence"),("RaftClient","raft-client"),("AskPattern","ask"),("PromiseActorRef","ask"),("ForkJoin","dispatch"),("pekko.dispatch","dispatch"),("pekko.actor","actor")]:
        if key in j: return name
    return "other"
for s in samples:
    if not s["stack"]: continue
    self_c[s["stack"][0]] += 1
    for fr in set(s["stack"]): incl[fr] += 1
    threads[re.sub(r"[-0-9]+$","",s["thread"])] += 1
    cats[cat(s["stack"])] += 1
tot = len(samples)
print("samples", tot)
print("== categories (first match, inclusive order)"); 
for k,v in cats.most_common(): print(f"{100*v/tot:5.1f}% {k}")
print("== threads")
for k,v in threads.most_common(10): print(f"{100*v/tot:5.1f}% {k}")
print("== self")
for k,v in self_c.most_common(n): print(f"{100*v/tot:5.1f}% {k}")
print("== inclusive (keel/pekko)")
for k,v in [x for x in incl.most_common(400) if ("keel" in x[0] or "pekko" in x[0])][:n]: print(f"{100*v/tot:5.1f}% {k}")
