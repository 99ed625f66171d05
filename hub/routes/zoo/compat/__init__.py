"""Zoo code on today's MindSpore and numpy: names they removed supplied by their exact equivalents, 1.x call
semantics (``supplied``), and 1.x graphs' integer division in ``construct`` (``graph_division``)."""
