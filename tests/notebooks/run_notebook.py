"""Executes a notebook headlessly with nbclient (in its own directory, on the kernel `python3` of
this interpreter) and fails on the first cell that raises. Usage: run_notebook.py NOTEBOOK.ipynb
"""

import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


class Client(NotebookClient):
    """nbclient 0.7 mimics a widget front end by reading each widget's state from its comm_open
    message; Debian 12's ipywidgets (6) sends none. Such widgets are simply not mirrored: the
    notebook's own code still runs, and any error in it still fails."""

    def on_comm_open_jupyter_widget(self, msg):
        if "state" not in msg["content"].get("data", {}):
            return None
        return super().on_comm_open_jupyter_widget(msg)


def main() -> int:
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the kernel's debugger warning
    os.environ.setdefault("MPLBACKEND", "Agg")
    path = pathlib.Path(sys.argv[1]).resolve()
    notebook = nbformat.read(path, as_version=4)
    client = Client(notebook, timeout=120, kernel_name="python3",
                    resources={"metadata": {"path": str(path.parent)}})
    start = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"{path.name}: a cell failed:\n{e}", file=sys.stderr)
        return 1
    cells = sum(1 for c in notebook.cells if c.cell_type == "code")
    print(f"{path.name}: {cells} code cells ran without error in {time.monotonic() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
