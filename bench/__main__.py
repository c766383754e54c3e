"""Run the benchmarks named on the command line, or all of them: every bench module with a main()."""

import importlib
import pkgutil
import sys

import bench


def run(names):
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== bench.{name}", flush=True)
        module.main([])


if __name__ == "__main__":
    run(sys.argv[1:] or sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")))
