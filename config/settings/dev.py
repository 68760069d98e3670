"""Local development and the demo: base settings, DEBUG only when asked."""

from .base import *  # noqa: F401,F403
