"""Query plans of the public list's main query (the 25 rows of a page), as PostgreSQL runs them.

Prints one JSON object: for each list URL's query string, the `EXPLAIN ANALYZE` text of its page query, its
execution time in ms and whether it reads an index without a sequential scan of cases_case.
"""

import json
import os
import re

import django

# Query strings of list pages whose main query must read an index, not scan the case table.
STATES = ["", "sort=title", "sort=newest", "page=40", "country=RU", "technology=cctv"]


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._settings")
    django.setup()
    from django.db import connection
    from django.http import QueryDict

    from cases.filters import CaseFilter
    from cases.views.case_list import PAGE_SIZE

    plans = {}
    # Plans are PostgreSQL's: the smoke test's SQLite database has no EXPLAIN ANALYZE, and no plan to hold to.
    states = STATES if connection.vendor == "postgresql" else []
    for state in states:
        query = QueryDict(state)
        page = int(query.get("page", 1))
        rows = CaseFilter(query).qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        plan = rows.explain(analyze=True)
        plans[state] = {
            "plan": plan,
            "ms": float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)),
            "indexed": "Index" in plan and not re.search(r"Seq Scan on cases_case\s", plan),
        }
    print(json.dumps(plans))


if __name__ == "__main__":
    main()
