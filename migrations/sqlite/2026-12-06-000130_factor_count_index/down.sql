DROP INDEX agents_factor_counts;
