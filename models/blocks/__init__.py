"""Building blocks of MobileViT, one module per block type (as ml-cvnets' ``modules/``).

Attribute names follow ml-cvnets exactly (``block.conv``, ``local_rep``, ``global_rep``,
``pre_norm_mha``...), so the checkpoints Apple publishes load without renaming.
"""
