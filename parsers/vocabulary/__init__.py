"""Every word list and word pattern the cleaner reads, by theme: the one place to look.

`furniture` (menus, share bars, credits, footers, related links), `bylines`
(by-prefixes, roles, agencies, name separators), `dates` (month names, date
labels, clock and age lines), `markup` (class and id words of furniture,
bylines and dates) and `page_types` (cue words of each kind of page). Code
elsewhere in `parsers` keeps only structural patterns: digits, punctuation,
URLs, scripts, the grammar of a date.
"""
