#!/usr/bin/env python3
"""Lists every scoring rule of an org with Zoho's official Python SDK (zohocrmsdk8-0 7.0.0),
one request at a time as the SDK goes, and prints how long it took as one JSON line.

Used by `examples/org_scale.rs` to compare zscore's org load with the SDK's. Two ways:
  per-module  the module list, then each module's rules (pages of 200), as an admin walking the
              org module by module does; this is what zscore's load compares with;
  org-wide    every rule of the org in pages of 200 without a module filter: the fewest
              requests the API allows, shown for honesty.
Timing starts before the SDK fetches its token and ends after the last page.

    python examples/sdk_list_rules.py --base-url http://127.0.0.1:7878 --way per-module
"""

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time

try:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
    from zohocrmsdk.src.com.zoho.api.logger import Logger
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
    from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
    from zohocrmsdk.src.com.zoho.crm.api import scoring_rules as SR
    from zohocrmsdk.src.com.zoho.crm.api import modules as MO
except ImportError as exc:  # pragma: no cover
    sys.stderr.write("cannot import the Zoho CRM v8 Python SDK (pip install zohocrmsdk8-0): %s\n" % exc)
    sys.exit(3)

PER_PAGE = 200


def pages(module=None):
    """Every rule (of `module`, or of the org), page by page; (rules, requests)."""
    ops = SR.ScoringRulesOperations()
    rules, requests, page = 0, 0, 1
    while True:
        pm = ParameterMap()
        if module is not None:
            pm.add(SR.GetScoringRulesParam.module, module)
        pm.add(SR.GetScoringRulesParam.per_page, PER_PAGE)
        pm.add(SR.GetScoringRulesParam.page, page)
        resp = ops.get_scoring_rules(pm)
        requests += 1
        if resp is None:
            raise SystemExit("the SDK returned no response for page %d of %s" % (page, module))
        if resp.get_status_code() == 204:
            return rules, requests
        obj = resp.get_object()
        if not isinstance(obj, SR.ResponseWrapper):
            raise SystemExit("page %d of %s: HTTP %s" % (page, module, resp.get_status_code()))
        got = obj.get_scoring_rules() or []
        rules += len(got)
        info = obj.get_info()
        if not got or info is None or not info.get_more_records():
            return rules, requests
        page += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", required=True)
    ap.add_argument("--way", choices=("per-module", "org-wide"), default="per-module")
    args = ap.parse_args()
    base = args.base_url.rstrip("/")
    tmp = tempfile.mkdtemp(prefix="zscore-sdk-list-")
    try:
        resources = os.path.join(tmp, "resources")
        os.makedirs(resources)
        started = time.perf_counter()
        environment = DataCenter.Environment(base, base + "/oauth/v2/token", base)
        token = OAuthToken(client_id="zscore", client_secret="sandbox", refresh_token="sandbox",
                           find_user=False)
        config = SDKConfig(auto_refresh_fields=False, pick_list_validation=False,
                           connect_timeout=60.0, read_timeout=60.0, update_api_domain=False)
        Initializer.initialize(environment=environment, token=token,
                               store=FileStore(os.path.join(tmp, "tokens.txt")), sdk_config=config,
                               resource_path=resources,
                               logger=Logger.get_instance(Logger.Levels.INFO, os.path.join(tmp, "sdk.log")))
        logging.getLogger("SDKLogger").propagate = False
        requests = 1  # the token
        if args.way == "org-wide":
            rules, n = pages()
            requests += n
        else:
            resp = MO.ModulesOperations().get_modules()
            requests += 1
            modules = [m.get_api_name() for m in (resp.get_object().get_modules() or [])
                       if m.get_api_name()]
            rules = 0
            for name in modules:
                got, n = pages(name)
                rules += got
                requests += n
        elapsed = time.perf_counter() - started
        print(json.dumps({"way": args.way, "ms": round(elapsed * 1000), "rules": rules,
                          "requests": requests}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
