"""Writes tests/simulated/held_out.txt: `python -m tests.simulated.held_out`."""
from tests.simulated.scenarios import HELD_OUT_FILE, held_out_texts

if __name__ == "__main__":
    HELD_OUT_FILE.write_text(
        "# What the held-out simulated patients type. Never copy these into data/ (a test checks).\n"
        + "\n".join(held_out_texts()) + "\n"
    )
