-- An SSH key whose private key cannot be read is kept (as upstream keeps any text) and marked with why.
ALTER TABLE access_keys ADD COLUMN unusable TEXT;
