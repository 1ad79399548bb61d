"""The soak test of scripts/soak.sh: for MINUTES, random valid deals (the example deals with random but valid
recoveries, factor loadings, default probabilities and tranche splits) are priced, sized and broken even, from
Python and from the command line in turn, with random cancellations (the CLI killed at a random moment, Python's
progress callback raising) and Dask merges on a LocalCluster. Every result is checked bit for bit against the
first run of the same deal, operation, seed and paths (whatever the thread count or the front end), and the
process's resident memory and open file descriptors must stay flat after a warm-up. Prints the figures as JSON.

Usage: python scripts/soak.py MINUTES [--seed N] [--dask-every N]"""

import argparse
import copy
import ctypes
import hashlib
import json
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import computedebt as cd
import computedebt.distributed
from computedebt import _core

ROOT = Path(__file__).resolve().parents[1]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
DEALS = {name: json.loads((ROOT / "examples" / "deals" / f"{name}.json").read_text())
         for name in ("blended_2026", "investment_grade_2026", "homogeneous_pool")}
# How much resident memory and how many descriptors may be added after the warm-up without failing.
RSS_SLACK_MB = 20.0
FD_SLACK = 4
LIBC = ctypes.CDLL("libc.so.6")


class Interrupted(Exception):
    """Raised by the progress callback to cancel a Python run."""


def random_deal(rng):
    """One of the example deals with random, valid changes."""
    name = rng.choice(sorted(DEALS))
    document = copy.deepcopy(DEALS[name])
    assumptions = document["assumptions"]
    for sector in assumptions["sectors"].values():
        sector["recovery_rate"] = round(rng.uniform(0.05, 0.7), 4)
        loadings = sector["factor_loadings"]
        scale = rng.uniform(0.5, 1.2)
        total = sum(v * v for v in loadings.values())
        if total * scale * scale >= 0.95:
            scale = (0.9 / total) ** 0.5
        for factor in loadings:
            loadings[factor] = round(loadings[factor] * scale, 6)
    for credit in assumptions["credit"].values():
        if "default_probability" in credit:
            credit["default_probability"] = round(min(0.6, credit["default_probability"] * rng.uniform(0.3, 2.0)), 6)
    structure = document["deal"]["structure"]
    if structure["type"] == "waterfall":
        senior, equity = structure["tranches"][0], structure["equity"]
        shift = round(senior["notional"] * rng.uniform(-0.2, 0.1), -3)
        shift = min(shift, equity["investment"] * 0.5)
        senior["notional"] += shift
        equity["investment"] -= shift
    document["deal"]["name"] = f"soak {name}"
    return name, document


def comparable(document):
    """The numbers of a document: what must be bit-identical between equal runs, whoever ran them."""
    return {key: value for key, value in document.items()
            if key not in ("elapsed_seconds", "threads", "provenance", "deal_file", "options", "sources",
                           "computedebt_version", "warnings")}


def rss_mb():
    """Resident memory after returning freed heap to the system: what is still held, not the allocator's cache."""
    LIBC.malloc_trim(0)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def open_fds():
    return len(os.listdir("/proc/self/fd"))


class Soak:
    def __init__(self, minutes, seed, dask_every):
        self.rng = random.Random(seed)
        self.deadline = time.monotonic() + 60.0 * minutes
        # Imports, the first Dask cluster and the allocator's pools settle in the first quarter (a minute at most).
        self.warmup_seconds = min(60.0 * minutes * 0.25, 60.0)
        self.dask_every = dask_every
        self.directory = Path(tempfile.mkdtemp(prefix="computedebt-soak-"))
        self.references = {}
        self.jobs = []
        self.job_count = 0
        self.compared = 0
        self.counts = {}
        self.samples = []
        self.failures = []
        self.client = None

    def check(self, key, document):
        """Compares a result with the first run of `key`: by digest, so that the references take no memory."""
        digest = hashlib.sha256(json.dumps(comparable(document), sort_keys=True).encode()).hexdigest()
        if key not in self.references:
            self.references[key] = digest
            return
        self.compared += 1
        if digest != self.references[key]:
            self.failures.append(f"{key[1]}: differs from its first run")

    def count(self, what):
        self.counts[what] = self.counts.get(what, 0) + 1

    def cli(self, arguments, timeout=600):
        return subprocess.run([str(BINARY), *map(str, arguments)], capture_output=True, timeout=timeout)

    def deal_file(self, document):
        path = self.directory / "deal.json"
        path.write_text(json.dumps(document))
        return path

    def job(self):
        """A new random job, or half the time one run before, to be run again by the other front end."""
        if self.jobs and self.rng.random() < 0.5:
            return self.rng.choice(self.jobs)
        _, document = random_deal(self.rng)
        waterfall = document["deal"]["structure"]["type"] == "waterfall"
        operations = ["price", "price", "cancel"] + (["size", "break_even"] if waterfall else [])
        self.job_count += 1
        sectors = sorted({c["sector"] for c in document["deal"]["counterparties"] if "sector" in c})
        job = {"number": self.job_count, "document": document, "operation": self.rng.choice(operations),
               "seed": self.rng.randrange(2**32), "paths": self.rng.choice([1024, 3000, 8192 + 7]),
               "sector": self.rng.choice(sectors)}
        if job["operation"] != "cancel":
            self.jobs.append(job)
            del self.jobs[:-50]
        return job

    def step(self, iteration):
        job = self.job()
        document, operation, seed, paths, sector = (job[k] for k in ("document", "operation", "seed", "paths", "sector"))
        deal = cd.Deal.from_dict(document)
        threads = self.rng.choice([1, 2])
        front = "cli" if iteration % 2 else "python"
        if self.dask_every and iteration % self.dask_every == self.dask_every - 1:
            operation = "dask"
        key = (job["number"], f"job {job['number']} ({operation if operation != 'dask' else 'price'}, seed {seed})")
        self.count(f"{front} {operation}" if operation != "dask" else "dask")

        if operation == "dask":
            result = computedebt.distributed.price(deal, paths, self.client, seed=seed,
                                                   chunks=self.rng.choice([None, 3]))
            self.check(key, result.to_dict())
            local = cd.price(deal, paths=paths, seed=seed, threads=threads, progress=False)
            self.check(key, local.to_dict())
        elif operation == "cancel":
            self.cancel(front, deal, document, seed, threads)
        elif front == "python":
            if operation == "price":
                self.check(key, cd.price(deal, paths=paths, seed=seed, threads=threads, progress=False).to_dict())
            elif operation == "size":
                self.check(key, cd.size(deal, "Senior A", "Baa2", paths=2048, seed=seed, threads=threads))
            else:
                self.check(key, cd.break_even(deal, "Senior A", "Baa2", [sector], paths=2048, seed=seed,
                                              threads=threads))
        else:
            path = self.deal_file(document)
            common = ["--seed", seed, "--threads", threads]
            if operation == "price":
                output = self.directory / "result.json"
                result = self.cli(["price", path, "--paths", paths, "--json", "--output", output, *common])
                if result.returncode != 0:
                    self.failures.append(f"cli price: exit {result.returncode}: {result.stderr[-300:]!r}")
                    return
                printed = json.loads(result.stdout)
                if json.loads(output.read_text()) != printed:
                    self.failures.append("cli price: --output differs from what was printed")
                self.check(key, printed)
            else:
                command = ["size", path] if operation == "size" else ["break-even", path, "--sector", sector]
                result = self.cli([*command, "--tranche", "Senior A", "--target-rating", "Baa2", "--paths", 2048,
                                   *common])
                if result.returncode != 0:
                    self.failures.append(f"cli {operation}: exit {result.returncode}: {result.stderr[-300:]!r}")
                    return
                self.check(key, json.loads(result.stdout))

    def cancel(self, front, deal, document, seed, threads):
        """A run stopped at a random moment leaves nothing behind, and the next run is unaffected."""
        paths = 400_000
        if front == "cli":
            output = self.directory / "cancelled.json"
            output.unlink(missing_ok=True)
            process = subprocess.Popen([str(BINARY), "price", str(self.deal_file(document)), "--paths", str(paths),
                                        "--seed", str(seed), "--threads", str(threads), "--json", "--output",
                                        str(output)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(self.rng.uniform(0.05, 1.0))
            process.send_signal(self.rng.choice([signal.SIGKILL, signal.SIGTERM, signal.SIGINT]))
            process.wait(timeout=120)
            if output.exists():
                json.loads(output.read_text())  # whole, or it would not parse
            leftovers = [p.name for p in self.directory.iterdir() if p.name.startswith("cancelled.json.")]
            for name in leftovers:  # a kill inside the write itself may leave its temporary file, never the output
                (self.directory / name).unlink()
        else:
            calls = self.rng.randrange(1, 4)

            def progress(done, total):
                nonlocal calls
                calls -= 1
                if calls <= 0:
                    raise Interrupted()
                return True

            config = computedebt._price._config(deal, paths, seed, threads, False, None, False, False)
            try:
                _core.simulate(deal._file, config, progress)
                self.failures.append("python cancel: the raising progress callback did not stop the run")
            except Interrupted:
                pass

    def run(self):
        if self.dask_every:  # started first, so that the warm-up includes it
            import dask
            from dask.distributed import Client, LocalCluster
            # The LocalCluster's scheduler runs in this process and keeps its logs in memory, up to 10,000 entries
            # each by default: about 15 MB per 100 distributed runs until they fill (docs/reliability.md section 3).
            # Short logs keep the soak measuring computedebt's memory, not Dask's bookkeeping.
            dask.config.set({"distributed.admin.log-length": 100, "distributed.admin.low-level-log-length": 100})
            self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        iteration = 0
        started = time.monotonic()
        while time.monotonic() < self.deadline:
            self.step(iteration)
            iteration += 1
            self.samples.append((time.monotonic() - started, rss_mb(), open_fds()))
        if self.client is not None:
            self.client.close()
            self.cluster.close()
        return self.report(iteration, time.monotonic() - started)

    def report(self, iterations, seconds):
        after = [s for s in self.samples if s[0] >= self.warmup_seconds] or self.samples[-1:]
        quarter = max(1, len(after) // 4)
        rss_first = statistics.median(s[1] for s in after[:quarter])
        rss_last = statistics.median(s[1] for s in after[-quarter:])
        fds_first, fds_last = after[0][2], after[-1][2]
        if rss_last - rss_first > RSS_SLACK_MB:
            self.failures.append(f"resident memory grew by {rss_last - rss_first:.1f} MB after the warm-up")
        if fds_last - fds_first > FD_SLACK:
            self.failures.append(f"open file descriptors grew from {fds_first} to {fds_last} after the warm-up")
        return {
            "iterations": iterations,
            "seconds": round(seconds, 1),
            "operations": dict(sorted(self.counts.items())),
            "distinct_runs": len(self.references),
            "runs_compared_bit_for_bit_with_a_first_run": self.compared,
            "python_rss_mb": {"median_first_quarter_after_warmup": round(rss_first, 1),
                              "median_last_quarter": round(rss_last, 1),
                              "max_after_warmup": round(max(s[1] for s in after), 1)},
            "python_open_fds": {"after_warmup": fds_first, "final": fds_last,
                                "max_after_warmup": max(s[2] for s in after)},
            "cli_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 1),
            "failures": self.failures,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("minutes", type=float)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--dask-every", type=int, default=10, help="a Dask run every N iterations (0: none)")
    arguments = parser.parse_args()
    report = Soak(arguments.minutes, arguments.seed, arguments.dask_every).run()
    print(json.dumps(report, indent=2))
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
