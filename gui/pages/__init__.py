"""The wizard pages, one module per page, in the order the wizard shows them."""
