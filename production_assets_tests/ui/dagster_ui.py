"""Drive `production ui` from tests: the process tree, its GraphQL endpoint, waiting for runs."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from production_assets.orchestration.code_location import LOCATION_NAME

LOCATION = LOCATION_NAME
# Dagster's name for the one repository of a code location holding one Definitions.
REPOSITORY = "__repository__"
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}
T = TypeVar("T")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, probe: Callable[[], T | None], timeout: float, every: float = 1.0) -> T:
    """Poll until `probe` returns something truthy; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, session id) for every live process (from /proc)."""
    table: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            table[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return table


def descendants(root: int) -> set[int]:
    table = process_table()
    found: set[int] = set()
    frontier = {root}
    while frontier:
        children = {pid for pid, (parent, _) in table.items() if parent in frontier and pid not in found}
        found |= children
        frontier = children
    return found


def alive(pids: set[int]) -> set[int]:
    return pids & set(process_table())


@dataclass
class UiServer:
    """A running `production ui` (webserver + daemon) on a free port."""

    process: subprocess.Popen[str]
    url: str
    log_path: Path

    @classmethod
    def start(cls, productions: list[Path], dagster_home: Path, log_path: Path) -> UiServer:
        port = free_port()
        env = {
            **os.environ,
            "DAGSTER_HOME": str(dagster_home),
            "PRODUCTION_SENSOR_INTERVAL": "5",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PRODUCTION_PATHS", None)
        log = log_path.open("w")
        command = [sys.executable, "-m", "production_assets", "ui", *map(str, productions), "--port", str(port)]
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        server = cls(process, f"http://127.0.0.1:{port}", log_path)
        try:
            wait_for("the code location to load in the webserver", server.location_loaded, timeout=120)
        except BaseException:
            server.stop()
            raise
        return server

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def location_loaded(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"`production ui` exited with {self.process.returncode}:\n{self.log_tail()}")
        try:
            data = self.graphql(
                "{ workspaceOrError { ... on Workspace { locationEntries { name"
                " locationOrLoadError { __typename ... on PythonError { message } } } } } }"
            )
        except OSError:
            return False
        entries = data["workspaceOrError"]["locationEntries"]
        states = [entry["locationOrLoadError"] or {"__typename": "loading"} for entry in entries]
        loaded = [state for state in states if state["__typename"] == "RepositoryLocation"]
        errors = [state.get("message") for state in states if state["__typename"] == "PythonError"]
        if errors:
            raise AssertionError(f"the code location failed to load: {errors[0]}")
        return bool(loaded)

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                document = json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(f"GraphQL {error.code}: {error.read().decode(errors='replace')[:2000]}") from None
        if document.get("errors"):
            raise AssertionError(f"GraphQL errors: {document['errors']}")
        return dict(document["data"])

    def tree(self) -> set[int]:
        return {self.process.pid} | descendants(self.process.pid)

    def stop(self, stop_signal: signal.Signals = signal.SIGINT, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(stop_signal)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            for pid in self.tree():
                os.kill(pid, signal.SIGKILL)
            raise


RUN_QUERY = """query($runId: ID!) { runOrError(runId: $runId) { __typename
  ... on Run { runId status jobName tags { key value } } } }"""
RUNS_QUERY = """query($filter: RunsFilter) { runsOrError(filter: $filter, limit: 200) { __typename
  ... on Runs { results { runId status jobName creationTime tags { key value } } } } }"""
PARTITIONS_QUERY = """query($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) {
  ... on AssetNode { partitionKeys } } }"""
MATERIALIZATIONS_QUERY = """query($key: AssetKeyInput!) { assetOrError(assetKey: $key) { ... on Asset {
  assetMaterializations(limit: 200) { partition runId timestamp
    metadataEntries { label __typename ... on MarkdownMetadataEntry { mdStr } ... on PathMetadataEntry { path }
      ... on IntMetadataEntry { intValue } ... on TextMetadataEntry { text } } } } } }"""
LAUNCH_RUN = """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) { __typename
  ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } ... on InvalidSubsetError { message }
  ... on RunConfigValidationInvalid { errors { message } } } }"""


def tags(run: dict[str, Any]) -> dict[str, str]:
    return {tag["key"]: tag["value"] for tag in run["tags"]}


def runs(server: UiServer, job_name: str | None = None) -> list[dict[str, Any]]:
    run_filter = {"pipelineName": job_name} if job_name else {}
    return list(server.graphql(RUNS_QUERY, {"filter": run_filter})["runsOrError"]["results"])


def run_status(server: UiServer, run_id: str) -> str:
    return str(server.graphql(RUN_QUERY, {"runId": run_id})["runOrError"]["status"])


def wait_for_run(server: UiServer, run_id: str, timeout: float = 180) -> str:
    return wait_for(f"run {run_id} to finish", lambda: (s := run_status(server, run_id)) in FINISHED and s, timeout)


def partition_keys(server: UiServer, *key: str) -> list[str]:
    node = server.graphql(PARTITIONS_QUERY, {"key": {"path": list(key)}})["assetNodeOrError"]
    return list(node.get("partitionKeys") or [])


def materializations(server: UiServer, *key: str) -> list[dict[str, Any]]:
    asset = server.graphql(MATERIALIZATIONS_QUERY, {"key": {"path": list(key)}})["assetOrError"]
    return list(asset.get("assetMaterializations") or [])


def metadata(event: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for entry in event["metadataEntries"]:
        values[entry["label"]] = next((entry[k] for k in ("mdStr", "path", "intValue", "text") if k in entry), None)
    return values


def launch_job(server: UiServer, job_name: str, partition: str | None = None) -> str:
    """Launch a job (``<slug>_shots``...) the way the UI's launchpad does (the UI is a GraphQL client of
    the same endpoint)."""
    run_tags = [{"key": "dagster/partition", "value": partition}] if partition else []
    params = {
        "selector": {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY, "jobName": job_name},
        "runConfigData": {},
        "executionMetadata": {"tags": run_tags},
    }
    result = server.graphql(LAUNCH_RUN, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    return str(result["run"]["runId"])
