"""Executes one notebook with nbclient and exports it to HTML with nbconvert.

Called by lib/report/runner.ts; not meant to be run by hand:
execute_notebook.py SOURCE EXECUTED HTML TIMEOUT CWD [HIDE_CODE]. Prints one JSON line on stdout:
{"ok": bool, "cells": int, "failedCell": int|null, "cellSource": str|null, "error": str|null}.

The HTML is the "lab" template without its two external scripts (require.js and MathJax, which
Debian's nbconvert points at file:///usr/share/javascript/... on the exporting machine and pip's at a
CDN): reports load nothing, and no notebook uses either. Its <title> is the notebook's first heading.
With HIDE_CODE=1 code cells are left out (nbconvert's --no-input): only Markdown and outputs remain.

Porting note (Deno kernel quirk): the Deno kernel publishes a cell's messages out of order. Its
`idle` status can come before the outputs the cell queued (display_data, stream, even its
execute_result), and a late output can carry the parent header of whichever request came next:
the kernel stamps broadcasts with its latest execute_request, not with the cell that made them.
nbclient stops collecting a cell's outputs at `idle` and files messages by parent, so those
outputs were silently lost. DrainingClient, on `idle`, runs a sentinel request that broadcasts a
unique token (through the same queue as the cell's displays) and returns it as its result. Until
both token messages have arrived, and for a short quiet spell after, every output that is not the
token is the cell's, whichever of the two parents it names: the sentinel itself outputs nothing else.
"""
import json
import os
import queue
import re
import sys
import time
import uuid

from jinja2 import DictLoader

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async
from nbconvert import HTMLExporter

OUTPUT_TYPES = ("display_data", "update_display_data", "stream", "execute_result", "error", "clear_output")
QUIET_SECONDS = 0.1
SENTINEL_TIMEOUT_SECONDS = 60


def sentinel_code(token):
    return (
        "await new Promise((resolve) => setTimeout(resolve, 5));"
        f" await Deno.jupyter.broadcast('display_data', {{ data: {{ 'text/plain': '{token}' }}, metadata: {{}}, transient: {{}} }});"
        f" '{token}'"
    )


def carries(msg, token):
    data = msg["content"].get("data") or {}
    return token in str(data.get("text/plain", ""))


class DrainingClient(NotebookClient):
    current_index = None

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        self.current_index = cell_index
        if cell.cell_type == "code":
            # One line per code cell on stderr, read live by the runner (the terminal shows it).
            first = next((line.strip() for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("//")), "")
            code_cells = [index for index, each in enumerate(self.nb.cells) if each.cell_type == "code"]
            print(
                "EQUILAB-CELL " + json.dumps({"cell": code_cells.index(cell_index) + 1, "cells": len(code_cells), "source": first[:100]}),
                file=sys.stderr,
                flush=True,
            )
            # The display log (lib/report/display.ts) learns which cell the next displays come from.
            log = os.environ.get("EQUILAB_DISPLAY_LOG")
            if log:
                with open(log, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps({"cell": cell_index + 1, "source": first[:100]}) + "\n")
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        sentinel_id = None
        token = None
        seen = set()
        quiet_until = None
        sentinel_deadline = None
        while True:
            if sentinel_id is None:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            else:
                deadline = quiet_until if quiet_until is not None else sentinel_deadline
                try:
                    msg = await ensure_async(
                        self.kc.iopub_channel.get_msg(timeout=max(0.0, deadline - time.monotonic()))
                    )
                except queue.Empty:
                    if quiet_until is not None:
                        return  # the quiet spell passed with nothing more
                    raise RuntimeError(
                        f"the kernel did not answer the output-draining sentinel within {SENTINEL_TIMEOUT_SECONDS} s"
                    )
            origin = msg["parent_header"].get("msg_id")
            if sentinel_id is None:
                if origin != parent_msg_id:
                    continue
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    token = f"equilab-sentinel-{uuid.uuid4().hex}"
                    sentinel_id = await ensure_async(
                        self.kc.execute(sentinel_code(token), store_history=False, stop_on_error=False)
                    )
                    sentinel_deadline = time.monotonic() + SENTINEL_TIMEOUT_SECONDS
                continue
            if origin not in (parent_msg_id, sentinel_id) or msg["msg_type"] not in OUTPUT_TYPES:
                continue
            if carries(msg, token):
                seen.add(msg["msg_type"])
                if {"display_data", "execute_result"} <= seen:
                    quiet_until = time.monotonic() + QUIET_SECONDS
                continue
            self.process_message(msg, cell, cell_index)
            if quiet_until is not None:
                quiet_until = time.monotonic() + QUIET_SECONDS

REPORT_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""


def first_heading(notebook):
    """The text of the notebook's first Markdown heading, without Markdown marks, or None."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
            if match and match.group(1):
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", match.group(1))  # [text](link) -> text
                return re.sub(r"[*_`]", "", text).strip() or None
    return None


def export_html(notebook, name, hide_code):
    title = first_heading(notebook)
    if title:
        notebook.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"equilab_report.html.j2": REPORT_TEMPLATE})],
        template_file="equilab_report.html.j2",
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": name}})
    return body


def main():
    source, executed_path, html_path, timeout, cwd = sys.argv[1:6]
    hide_code = len(sys.argv) > 6 and sys.argv[6] == "1"
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
    # A table, chart or Markdown displays when it is made (lib/report/display.ts); as a cell's last value it
    # then gives an empty result: leave those out rather than export empty output prompts.
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell["outputs"] = [
                output for output in cell.get("outputs", [])
                if not (output.get("output_type") == "execute_result" and not output.get("data"))
            ]
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
    body = export_html(notebook, os.path.splitext(os.path.basename(source))[0], hide_code)
    with open(html_path, "w", encoding="utf-8") as handle:
        handle.write(body)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
