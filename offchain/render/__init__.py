"""Drawing images for the service: the renderer pool, the renderer set, the disk cache, fusion previews."""
