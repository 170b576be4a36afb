"""Private helpers of the insurer-processing and coordination-of-benefits checks.

One module per concern (arithmetic, preventive care, benefit levels, accumulators, adjustment
codes); ``plugins.checks.insurer_processing`` and ``plugins.checks.coordination_of_benefits`` are
the registered checks that put them together.
"""
