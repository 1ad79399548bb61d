"""Issue 15, determinism under faults: `--output` is written through a temporary file and a rename, so a run
killed at any moment leaves either no document or a whole one, and a rerun gives the same bits."""

import json
import os
import random
import signal
import stat
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("COMPUTEDEBT_BIN", ROOT / "build" / "bin" / "computedebt"))
BLENDED = ROOT / "examples" / "deals" / "blended_2026.json"


def comparable(document):
    return {key: value for key, value in document.items() if key != "elapsed_seconds"}


def price_args(output):
    return [str(BINARY), "price", str(BLENDED), "--paths", "30000", "--seed", "7", "--threads", "2", "--json",
            "--output", str(output)]


def test_a_killed_run_leaves_no_half_written_document_and_a_rerun_gives_the_same_bits(tmp_path):
    reference_path = tmp_path / "reference.json"
    subprocess.run(price_args(reference_path), check=True, capture_output=True, timeout=300)
    reference = json.loads(reference_path.read_text())
    assert oct(reference_path.stat().st_mode & 0o777) == oct(0o666 & ~current_umask())

    generator = random.Random(15)
    for attempt in range(6):
        output = tmp_path / f"killed{attempt}.json"
        process = subprocess.Popen(price_args(output), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(generator.uniform(0.0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if output.exists():  # the run had finished: the document is whole
            assert comparable(json.loads(output.read_text())) == comparable(reference)
        # Nothing else in the directory but whole documents and, after a kill inside the write itself, at most
        # an unfinished temporary file under another name.
        assert all(p.name.startswith(("reference", "killed")) for p in tmp_path.iterdir())
        subprocess.run(price_args(output), check=True, capture_output=True, timeout=300)
        assert comparable(json.loads(output.read_text())) == comparable(reference)


def test_an_existing_document_is_replaced_whole_and_a_failed_write_keeps_it(tmp_path):
    output = tmp_path / "result.json"
    output.write_text("previous")
    subprocess.run(price_args(output), check=True, capture_output=True, timeout=300)
    assert json.loads(output.read_text())["paths"] == 30000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]

    directory = tmp_path / "read-only"
    directory.mkdir()
    (directory / "result.json").write_text("previous")
    directory.chmod(0o555)
    try:
        result = subprocess.run(price_args(directory / "result.json"), capture_output=True, timeout=300)
    finally:
        directory.chmod(0o755)
    if os.geteuid() != 0:  # root writes anywhere
        assert result.returncode == 1
        assert b"cannot write" in result.stderr
        assert (directory / "result.json").read_text() == "previous"
    assert sorted(p.name for p in directory.iterdir()) == ["result.json"]


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_symbolic_link_is_followed_and_a_pipe_is_written_in_place_not_replaced(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("previous")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    subprocess.run(price_args(link), check=True, capture_output=True, timeout=300)
    assert link.is_symlink() and json.loads(real.read_text())["paths"] == 30000

    # A device or pipe (/dev/stdout, /dev/full) must not be renamed over: here a FIFO read by another thread.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    subprocess.run(price_args(fifo), check=True, capture_output=True, timeout=300)
    reader.join(timeout=60)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["paths"] == 30000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "link.json", "real.json"]
