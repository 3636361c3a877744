-- Idempotency-Key answers are now stored with their secrets set to null (lib/api/idempotency.ts).
-- Answers kept before that held webhook secrets, access tokens and link tokens in plaintext for 24
-- hours: drop them (a retry with such a key runs its request again).
DELETE FROM "api_idempotency_keys" WHERE "response_body" ~ '"(secret|access_token|link_token|link_url)":"';
