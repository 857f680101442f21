"""Scheduled synthetic checks of the portal, with history, Prometheus metrics and alerts.

A check runs one documented flow (or the read-only ``portal`` flow) through the same runner
as the test suite, in a fresh browser context of one warm browser; its steps are timed by an
observer. Results go to a SQLite history, to Prometheus metrics named in the style of
blackbox_exporter, and to an alert policy that notifies webhooks.

    sentinel monitor --target mock --flow registration --every 5m --metrics-port 9464
"""

from __future__ import annotations
