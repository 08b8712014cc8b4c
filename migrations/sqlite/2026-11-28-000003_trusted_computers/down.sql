DROP TABLE trusted_computers;
