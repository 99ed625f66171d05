"""The ways a zoo directory builds a card's network, one module each: its hub conf (``conf``, as MindSpore
Hub builds it), its export script (``export``), its eval script (``evaluation``); ``options`` holds what the
two script builders share (the caller's options checked against the script's, the notes of a run)."""
