"""latentkin renderer: correspondence table, corpus, conditional GAN, training, evaluation, rendering.

Service entry points: ``renderer.render.Renderer`` and ``renderer.table.load_table``.
"""
