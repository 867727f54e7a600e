"""Panel session and summary report views, split by resource."""
