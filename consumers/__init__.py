"""Reading an output back: the Python read API, stats, the HTML report and exports."""
