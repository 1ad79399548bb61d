"""Makes the freshly built extension importable: build/python holds computedebt/_core."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("COMPUTEDEBT_PYTHON_DIR", str(ROOT / "build" / "python")))
