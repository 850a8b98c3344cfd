"""Fetching pages: the HTTP client, its address guard, feed and sitemap discovery, the landing zone."""
