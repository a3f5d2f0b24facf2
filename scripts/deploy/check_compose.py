"""compose.yaml against the Compose Specification's JSON schema, then what the schema
cannot see: names used but not declared, the proxy's upstreams, the trusted network, no
secret written in the file. Used by scripts/lint-deploy where no `docker compose` plugin
is installed (and after it where one is)."""

import ipaddress
import json
import re
import sys

import jsonschema
import yaml

compose_path, schema_path, nginx_path = sys.argv[1:4]
with open(compose_path) as f:
    text = f.read()
# Variables take their defaults, as `docker compose config` would with none set.
text = re.sub(r"\$\{([A-Z_]+):-([^}]*)\}", r"\2", text)
doc = yaml.safe_load(text)
with open(schema_path) as f:
    schema = json.load(f)
# The top-level `name` joined the specification after this copy of its schema.
schema["properties"].setdefault("name", {"type": "string"})

problems = []
validator = jsonschema.Draft201909Validator(schema)
for error in validator.iter_errors(doc):
    where = "/".join(str(p) for p in error.absolute_path) or "(top)"
    problems.append(f"schema: {where}: {error.message}")

services = doc.get("services", {})
declared = {kind: set((doc.get(kind) or {}).keys()) for kind in ("networks", "volumes", "secrets")}
for name, svc in services.items():
    for net in svc.get("networks", []) or []:
        if net not in declared["networks"]:
            problems.append(f"{name}: network {net} is not declared")
    for vol in svc.get("volumes", []) or []:
        source = vol.split(":")[0] if isinstance(vol, str) else vol.get("source", "")
        if not source.startswith((".", "/")) and source not in declared["volumes"]:
            problems.append(f"{name}: volume {source} is not declared")
    for secret in svc.get("secrets", []) or []:
        secret = secret if isinstance(secret, str) else secret.get("source")
        if secret not in declared["secrets"]:
            problems.append(f"{name}: secret {secret} is not declared")
    for dep in svc.get("depends_on", {}) or {}:
        if dep not in services:
            problems.append(f"{name}: depends on {dep}, which is not a service")
    env = svc.get("environment", {}) or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env if "=" in e)
    for key, value in env.items():
        if re.search(r"SECRET|PASSWORD", key) and not key.endswith("_FILE"):
            problems.append(f"{name}: {key} is written in the file; use a secret")
        if key == "AGORA_DATABASE_URL" and re.search(r"://[^/@]*:[^/@]*@", str(value)):
            problems.append(f"{name}: AGORA_DATABASE_URL carries a password; use a secret")

agoras = {n: s for n, s in services.items() if "AGORA_CONFIG" in (s.get("environment") or {})}
if len(agoras) < 2:
    problems.append(f"two Agora instances expected, found {sorted(agoras)}")
data_volumes = [
    next((v.split(":")[0] for v in s.get("volumes", []) if v.endswith(":/var/lib/agora")), None)
    for s in agoras.values()
]
if None in data_volumes or len(set(data_volumes)) != len(data_volumes):
    problems.append(f"each instance needs its own data volume: {data_volumes}")

# The proxy: its upstreams are the instances, on a network it shares with them, and that
# network is what the instances trust.
with open(nginx_path) as f:
    upstreams = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", f.read(), re.M)
proxy = next((n for n, s in services.items() if "nginx.conf" in str(s.get("volumes"))), None)
if proxy is None:
    problems.append("no service mounts deploy/nginx.conf")
else:
    proxy_nets = set(services[proxy].get("networks", []))
    if sorted(h for h, _ in upstreams) != sorted(agoras):
        problems.append(f"nginx upstreams {upstreams} are not the instances {sorted(agoras)}")
    for host, port in upstreams:
        svc = services.get(host, {})
        if port != "8080":
            problems.append(f"nginx sends to {host}:{port}; the image listens on 8080")
        if not proxy_nets & set(svc.get("networks", [])):
            problems.append(f"{proxy} and {host} share no network")
        trusted = json.loads((svc.get("environment") or {}).get("AGORA_TRUSTED_PROXIES", "[]"))
        subnets = [
            c["subnet"]
            for net in proxy_nets
            for c in ((doc["networks"].get(net) or {}).get("ipam", {}).get("config", []))
        ]
        covered = any(
            ipaddress.ip_network(s).subnet_of(ipaddress.ip_network(t))
            for s in subnets
            for t in trusted
        )
        if not covered:
            problems.append(f"{host} does not trust the proxy's network {subnets}: {trusted}")
    for name in agoras:
        if services[proxy].get("depends_on", {}).get(name, {}).get("condition") != "service_healthy":
            problems.append(f"{proxy} should wait for {name} to be healthy")

for p in problems:
    print(f"compose.yaml: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"compose.yaml: valid ({len(services)} services; proxy {proxy} -> {', '.join(sorted(agoras))})")
