"""The documented flows as values, and the one runner that executes them.

A flow is an ordered list of steps; each step carries its documented number and wording and
an action that drives page objects. The runner tells observers what happens at each step, and
every report (Allure, the monitor's metrics, the screenshot guides) is such an observer.

    from flows import catalog, Runner, Run
    Runner([observer]).run(catalog.REGISTRATION, run)
"""

from __future__ import annotations

from flows.context import Citizen, CodeSource, Run
from flows.flow import Flow, Step
from flows.runner import Observer, Runner

__all__ = ["Citizen", "CodeSource", "Flow", "Observer", "Run", "Runner", "Step"]
