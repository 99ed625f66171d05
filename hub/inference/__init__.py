"""From an image to a prediction: the inputs a card's network takes (``inputs``), and the dataset pipelines
its eval code builds, followed on an image (``pipeline``)."""
