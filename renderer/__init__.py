"""latentkin renderer: trait vocabulary, correspondence table, conditional GAN, training, evaluation, rendering.

Serving needs ``renderer.render.Renderer`` (with ``renderer.table``, ``renderer.model`` and
``renderer.weights``); the training modules (corpus, train, export, evaluate, sheets) are never
imported on that path.
"""
