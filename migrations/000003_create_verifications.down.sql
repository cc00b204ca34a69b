DROP TABLE verifications;
DROP TYPE verification_result;
