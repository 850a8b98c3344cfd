"""Fetching pages: HTTP client, address guard, feed and sitemap discovery, the landing zone."""
