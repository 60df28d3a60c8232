-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "experimentId" TEXT,
    "mode" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetItem" (
    "datasetId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "interactionId" TEXT,
    "input" TEXT NOT NULL,
    "output" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,

    CONSTRAINT "DatasetItem_pkey" PRIMARY KEY ("datasetId","position")
);

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_name_key" ON "Dataset"("name");

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

