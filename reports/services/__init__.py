"""Writes of panel sessions and summary reports, split by resource."""
