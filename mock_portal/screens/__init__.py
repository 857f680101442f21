"""The portal's screens, one module per flow."""

from __future__ import annotations
