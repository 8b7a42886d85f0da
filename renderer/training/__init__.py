"""Training of the renderer (v3 on): the portrait stream, grafting onto older runs, the training loop."""
