"""Council views, split by resource. Each parses, looks up through a selector scoped to the user's
councils (anything else is a 404), checks the member's right (403), acts through a service, and renders."""
