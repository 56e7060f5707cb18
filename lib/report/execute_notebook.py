"""Executes one notebook with nbclient and exports it to HTML with nbconvert.

Called by lib/report/runner.ts; not meant to be run by hand. Prints one JSON line on stdout:
{"ok": bool, "cells": int, "failedCell": int|null, "cellSource": str|null, "error": str|null}.

Porting note (Deno kernel quirk): the Deno kernel can publish its `idle` status before the
outputs it has queued (display_data, update_display_data, even execute_result) reach the iopub
socket. nbclient stops collecting a cell's outputs at `idle`, so those outputs were silently lost.
DrainingClient, on `idle`, sends a tiny sentinel request and keeps collecting the cell's messages
until the sentinel's own result arrives, which the kernel queues behind everything before it.
"""
import asyncio
import json
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async
from nbconvert import HTMLExporter

SENTINEL = "await new Promise((resolve) => setTimeout(resolve, 5)); 0"


class DrainingClient(NotebookClient):
    current_index = None

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.current_index = cell_index
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        sentinel_id = None
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            origin = msg["parent_header"].get("msg_id")
            if sentinel_id is not None and origin == sentinel_id:
                if msg["msg_type"] in ("execute_result", "error"):
                    return
                if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                    # The sentinel printed nothing we saw yet; wait for its result a little longer.
                    continue
                continue
            if origin != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                if sentinel_id is None:
                    sentinel_id = await ensure_async(
                        self.kc.execute(SENTINEL, store_history=False, stop_on_error=False)
                    )


def main():
    source, executed_path, html_path, timeout, cwd = sys.argv[1:6]
    notebook = nbformat.read(source, as_version=4)
    client = DrainingClient(
        notebook,
        timeout=None if timeout in ("", "0") else int(timeout),
        iopub_timeout=60,
        kernel_name="deno",
        resources={"metadata": {"path": cwd}},
        record_timing=False,
    )
    result = {"ok": True, "cells": len(notebook.cells), "failedCell": None, "cellSource": None, "error": None}
    try:
        client.execute()
    except Exception as error:  # a raising cell, a dead kernel, a timeout, ...
        index = client.current_index
        if isinstance(error, CellExecutionError):
            message = f"{error.ename}: {error.evalue}"
        else:
            message = f"{type(error).__name__}: {error}"
        result.update(
            ok=False,
            failedCell=index,
            cellSource=notebook.cells[index].source if index is not None else None,
            error=message,
        )
    # Sentinel requests take execution counts: renumber the code cells 1, 2, 3, ...
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    nbformat.write(notebook, executed_path)
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(notebook)
    with open(html_path, "w", encoding="utf-8") as handle:
        handle.write(body)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
