"""A token as the service reads it and the ERC-721 metadata made from it."""
