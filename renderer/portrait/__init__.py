"""latentkin's reference portrait (v3): what the generator learns to draw, as a pure function of a genome."""
