"""Goal-driven simulated patients talking to the running assistant over SMS and the web chat."""
