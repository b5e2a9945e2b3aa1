#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from real samples: the official OpenAPI examples
(../shared/zoho-oas/examples) and the demo org as `zscore export` writes it.

usage: fuzz/seed_corpus.py OAS_EXAMPLES_DIR EXPORT_DIR   (run from the repository root)

The demo org's rules in API form were added too: the answer of
GET /crm/v8/settings/automation/scoring_rules?per_page=200 from `zscore sandbox`, each rule as a
request_validate input, wrapped as a 200 answer for response_parse, its criteria for criteria_eval.
"""
import hashlib, json, os, re, sys

oas, export = sys.argv[1], sys.argv[2]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def put(target, data: bytes):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)

def blocks(path):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r"```json\n(.*?)```", text, re.S):
        try:
            yield json.loads(m.group(1))
        except json.JSONDecodeError:
            pass

def walk_criteria(v, acc):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "criteria":
                acc.append(x)
            walk_criteria(x, acc)
    elif isinstance(v, list):
        for x in v:
            walk_criteria(x, acc)

criteria = []
for root, _, files in os.walk(oas):
    for name in files:
        path = os.path.join(root, name)
        m = re.match(r"response-(\d{3})-", name)
        for doc in blocks(path):
            walk_criteria(doc, criteria)
            if m:
                status = int(m.group(1))
                put("response_parse", (status - 100).to_bytes(2, "big") + json.dumps(doc).encode())
                for rule in doc.get("scoring_rules", []) if isinstance(doc, dict) else []:
                    if isinstance(rule, dict) and "name" in rule:
                        put("request_validate", json.dumps(rule).encode())
            elif name == "request.md":
                for item in doc.get("scoring_rules", []) if isinstance(doc, dict) else []:
                    put("request_validate", json.dumps(item).encode())

put("request_validate", json.dumps({
    "name": "Fuzz seed", "module": {"api_name": "Leads"}, "active": False,
    "field_rules": [{"score": 10, "criteria": {"group_operator": "or", "group": [
        {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"},
        {"field": {"api_name": "Annual_Revenue"}, "comparator": "between", "value": ["1000", "50000"]}]}}],
    "signal_rules": [{"score": 5, "signal": {"namespace": "zoho.emailinsight.open", "id": "1"}}]}).encode())

record_bytes = bytes(range(0, 256, 7))
for c in criteria:
    put("criteria_eval", json.dumps(c).encode() + b"\n" + record_bytes)

sidecar = open(os.path.join(export, ".zscore-ids.json"), "rb").read()
for root, _, files in os.walk(export):
    for name in files:
        if name.endswith(".json") and not name.startswith("."):
            data = open(os.path.join(root, name), "rb").read()
            put("import_file", data)
            put("import_file", data + b"\0" + sidecar)
