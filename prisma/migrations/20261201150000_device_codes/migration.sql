-- CreateTable
CREATE TABLE "device_codes" (
    "id" UUID NOT NULL,
    "device_code_digest" TEXT NOT NULL,
    "user_code_digest" TEXT NOT NULL,
    "client_label" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "interval_seconds" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_polled_at" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "user_id" UUID,
    "token_id" UUID,

    CONSTRAINT "device_codes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "device_codes_device_code_digest_key" ON "device_codes"("device_code_digest");

-- CreateIndex
CREATE UNIQUE INDEX "device_codes_user_code_digest_key" ON "device_codes"("user_code_digest");

-- AddForeignKey
ALTER TABLE "device_codes" ADD CONSTRAINT "device_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
