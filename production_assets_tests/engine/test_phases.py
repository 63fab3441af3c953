"""The eight phases: how their state and seconds follow from what Dagster recorded, and how runs show them."""

from __future__ import annotations

import contextlib
import io

from production_assets.engine.phases import shot_outcomes, staged_run_outcomes, union_seconds
from production_assets.engine.progress import PlainReporter, RichReporter, RunProgress
from production_assets.model.results import EXECUTION_PHASES


def test_seconds_count_overlapping_work_once() -> None:
    assert union_seconds([]) == 0
    assert union_seconds([(0.0, 2.0), (1.0, 3.0), (5.0, 6.0)]) == 4.0
    assert union_seconds([(0.0, 10.0), (2.0, 3.0)]) == 10.0


def test_a_prepare_run_splits_into_prepare_characters_and_locations() -> None:
    times = {"prepare": [101.0], "characters": [103.0, 104.0], "locations": [102.5]}
    expected = {"prepare": 1, "characters": 2, "locations": 1}
    outcomes = staged_run_outcomes("prepare", (100.0, 105.0), times, expected, success=True)
    assert {phase: (o.state, union_seconds(o.intervals)) for phase, o in outcomes.items()} == {
        "prepare": ("done", 1.0),
        "characters": ("done", 3.0),
        "locations": ("done", 1.5),
    }
    assert outcomes["characters"].note == "2 character(s) recorded"


def test_a_failed_run_fails_the_phase_short_of_its_assets_and_skips_the_rest() -> None:
    failed = staged_run_outcomes("deliver", (0.0, 4.0), {"export": [1.0]}, {"export": 2, "finalize": 1}, success=False)
    assert (failed["export"].state, failed["export"].note) == ("failed", "1 of 2 output(s) recorded")
    assert union_seconds(failed["export"].intervals) == 4.0
    assert (failed["finalize"].state, failed["finalize"].note) == ("skipped", "not reached: an earlier phase failed")
    nothing = staged_run_outcomes("prepare", (0.0, 1.0), {"prepare": [0.5]}, {"prepare": 1, "characters": 0}, True)
    assert (nothing["characters"].state, nothing["characters"].note) == ("skipped", "no character(s)")


def test_shots_and_post_process_split_each_shot_at_its_render() -> None:
    started = {"a": 0.0, "b": 10.0, "c": 20.0}
    ended = {"a": 9.0, "b": 12.0, "c": 25.0}
    rendered = {"a": 8.0, "c": 24.0}
    graded = {"a": 9.0}
    outcomes = shot_outcomes(started, ended, rendered, graded, failed={"b", "c"})
    assert (outcomes["shots"].state, union_seconds(outcomes["shots"].intervals)) == ("failed", 8.0 + 2.0 + 4.0)
    assert (outcomes["post_process"].state, union_seconds(outcomes["post_process"].intervals)) == ("failed", 1.0 + 1.0)
    assert outcomes["shots"].note == "1 shot(s) failed to render"
    never = shot_outcomes({}, {}, {}, {}, failed={"x"})
    assert never["shots"].state == "failed", "a shot whose worker stopped before it fails the shots phase"


def _progress() -> RunProgress:
    progress = RunProgress(estimates={"validate": 1.0, "prepare": 2.0, "shots": 10.0}, frames_total=4)
    progress.begin("validate")
    return progress


def test_time_left_is_the_estimate_then_zero_and_never_negative() -> None:
    progress = _progress()
    assert 12.0 < progress.remaining_seconds <= 13.0
    for phase in EXECUTION_PHASES:
        progress.skip(phase, "done for the test")
    assert progress.finished and progress.remaining_seconds == 0.0
    progress.frames_done = 9  # more frames than planned (a shot re-rendered): still not negative
    assert progress.remaining_seconds == 0.0
    assert progress.as_dict()["eta_seconds"] == 0.0


def test_reporters_show_all_eight_phases() -> None:
    stream = io.StringIO()
    plain = PlainReporter(stream)
    plain.update(_progress())
    (line,) = stream.getvalue().splitlines()
    assert line.startswith("phases: validate > ") and all(f"{phase} " in line for phase in EXECUTION_PHASES)
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured):
        rich = RichReporter()
        rich.update(_progress())
        rich.close()
    assert all(phase in captured.getvalue() for phase in EXECUTION_PHASES)
