"""Write the byte code of what the book's processes import, once, right after the install (``make venv``).

Nothing is byte-compiled at install time (compiling every installed package takes 16 s on two cores).
Left to the first imports, the first two chapter kernels would each compile torch and the rest at once, on
the cores the chapters need. Instead two processes import, side by side, what the kernels, the chapter
modules and the HTML build import, so each module is compiled once, and only the modules that are used.
"""

from __future__ import annotations

import os
import subprocess
import sys

GROUPS = (
    # torch and every chapter module (NumPy, SciPy, pandas, Numba and Matplotlib come with them)
    "import importlib\nimport torch\nfrom rgbook.chapters import CHAPTER_MODULES\n"
    "for name in CHAPTER_MODULES:\n    importlib.import_module(f'rgbook.chapters.{name}')",
    # the kernel and what the notebooks import, then the HTML build
    "import ipykernel.kernelapp, IPython.display, matplotlib.pyplot, matplotlib_inline.backend_inline, sympy\n"
    "import myst_nb, nbclient, jupyter_cache, jupyter_book.cli.main, sphinx.application, sphinx_book_theme\n"
    "import myst_parser, sphinx_proof, sphinxcontrib.bibtex",
)


def main() -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for code in GROUPS]
    return max(p.wait() for p in procs)


if __name__ == "__main__":
    sys.exit(main())
