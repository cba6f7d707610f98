"""Renderers: pure functions of a Report. Writing files happens in `auditor.report.files`."""
