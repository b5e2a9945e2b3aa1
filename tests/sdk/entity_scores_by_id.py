#!/usr/bin/env python3
"""Entity scores by id, through Zoho's official Python SDK (zohocrmsdk8-0 7.0.0).

``EntityScoresOperations.get_entity_score(id)`` sends ``GET /crm/v8/Entity_Scores__s/{id}``.
The spec names the path parameter ``record_id`` on the Entity_Scores__s module, whose own
records are the entity-score rows, so the id may be a row's or a scored record's. Checked here:

  row_id     an entity-score row's own id answers exactly that row;
  record_id  a scored record's id answers that record's rows (all of them, the row included).

Run against a running sandbox (``.ci/run`` does, after the shared conformance suite):
    python tests/sdk/entity_scores_by_id.py --base-url http://127.0.0.1:7878
Prints ``PASS name`` / ``FAIL name: reason`` per check; exit 0 only when both pass, 3 when the
SDK cannot be imported. It reads only, so it can run any number of times.
"""

import argparse
import logging
import os
import shutil
import sys
import tempfile

try:
    from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
    from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
    from zohocrmsdk.src.com.zoho.api.logger import Logger
    from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
    from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
    from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
    from zohocrmsdk.src.com.zoho.crm.api import entity_scores as ES
except ImportError as exc:  # pragma: no cover
    sys.stderr.write("cannot import the Zoho CRM v8 Python SDK (pip install zohocrmsdk8-0): %s\n" % exc)
    sys.exit(3)

FIELDS = ",".join(("Positive_Score", "Negative_Score", "Touch_Point_Score",
                   "Touch_Point_Positive_Score", "Touch_Point_Negative_Score", "Score",
                   "Scoring_Rule"))


def init_sdk(base, tmp):
    resources = os.path.join(tmp, "resources")
    os.makedirs(resources)
    environment = DataCenter.Environment(base, base + "/oauth/v2/token", base)
    token = OAuthToken(client_id="zscore", client_secret="sandbox", refresh_token="sandbox",
                       find_user=False)
    store = FileStore(os.path.join(tmp, "sdk_tokens.txt"))
    logger = Logger.get_instance(Logger.Levels.INFO, os.path.join(tmp, "sdk.log"))
    # The sandbox's token answer names itself as api_domain; never follow it anywhere else.
    config = SDKConfig(auto_refresh_fields=False, pick_list_validation=False,
                       connect_timeout=30.0, read_timeout=30.0, update_api_domain=False)
    Initializer.initialize(environment=environment, token=token, store=store, sdk_config=config,
                           resource_path=resources, logger=logger)
    logging.getLogger("SDKLogger").propagate = False


def rows_of(resp, what):
    if resp is None:
        raise AssertionError("%s: the SDK returned no response" % what)
    if resp.get_status_code() != 200:
        raise AssertionError("%s: HTTP %s" % (what, resp.get_status_code()))
    obj = resp.get_object()
    if not isinstance(obj, ES.ResponseWrapper):
        raise AssertionError("%s: parsed as %s" % (what, type(obj).__name__))
    return obj.get_data() or []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", default=os.environ.get("ZSCORE_SANDBOX_URL", "http://127.0.0.1:7878"))
    args = ap.parse_args()
    base = args.base_url.rstrip("/")
    tmp = tempfile.mkdtemp(prefix="zscore-sdk-entity-scores-")
    failed = 0
    try:
        init_sdk(base, tmp)
        ops = ES.EntityScoresOperations(fields=FIELDS)
        listed = rows_of(ops.get_entity_scores(), "GET /Entity_Scores__s")
        per_record = {}
        for r in listed:
            per_record.setdefault(r.get_entity().get_id(), []).append(r)
        record_id, rows = next(((k, v) for k, v in per_record.items() if len(v) > 1), (None, None))
        if record_id is None:
            raise AssertionError("no listed record has two entity-score rows")
        row = rows[0]

        try:
            got = rows_of(ops.get_entity_score(int(row.get_id())), "GET /Entity_Scores__s/{row id}")
            ids = [g.get_id() for g in got]
            assert ids == [row.get_id()], "expected only row %s, got %s" % (row.get_id(), ids)
            assert got[0].get_entity().get_id() == record_id, "the row's record changed"
            assert got[0].get_score() == row.get_score(), "the row's score changed"
            print("PASS row_id")
        except AssertionError as exc:
            failed += 1
            print("FAIL row_id: %s" % exc)

        try:
            got = rows_of(ops.get_entity_score(int(record_id)), "GET /Entity_Scores__s/{record id}")
            assert got, "no rows"
            assert all(g.get_entity().get_id() == record_id for g in got), "a row of another record"
            assert row.get_id() in [g.get_id() for g in got], "the listed row is missing"
            assert len(got) >= len(rows), "fewer rows than the list shows for the record"
            print("PASS record_id")
        except AssertionError as exc:
            failed += 1
            print("FAIL record_id: %s" % exc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (2 - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
