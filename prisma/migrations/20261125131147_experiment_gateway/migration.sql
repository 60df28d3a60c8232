-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "gatewayEnabled" BOOLEAN NOT NULL DEFAULT false;

