import { randomUUID } from 'node:crypto';
// Test-only: the service reaches MongoDB through @platform/common, whose driver this is (hoisted).
import { MongoClient } from 'mongodb';
import { EMAIL_INDEX, MongoUserRepository, USERS_COLLECTION, ensureIndexes } from './mongo-user-repository';
import { describeUserRepositoryContract } from './user-repository.contract';

// Transactions need a replica set, e.g. MONGO_URL=mongodb://127.0.0.1:27017/?replicaSet=rs0
const MONGO_URL = process.env.MONGO_URL;
const describeMongo = MONGO_URL === undefined || MONGO_URL === '' ? describe.skip : describe;
const label =
  describeMongo === describe ? 'MongoUserRepository' : 'MongoUserRepository (skipped: MONGO_URL is not set)';

let client: MongoClient | undefined;
// One database per run, so parallel runs against a shared server do not see each other's users.
const databaseName = `user_test_${randomUUID().replaceAll('-', '')}`;

async function database() {
  client ??= await new MongoClient(MONGO_URL ?? '', { serverSelectionTimeoutMS: 5000 }).connect();
  return client.db(databaseName);
}

afterAll(async () => {
  if (client === undefined) return;
  await client.db(databaseName).dropDatabase();
  await client.close();
});

describeUserRepositoryContract(
  label,
  async () => {
    const db = await database();
    await ensureIndexes(db);
    await db.collection(USERS_COLLECTION).deleteMany({});
    return new MongoUserRepository(db);
  },
  describeMongo,
);

describeMongo(`${label}: indexes`, () => {
  it('creates the unique email index, and creating it again changes nothing', async () => {
    const db = await database();
    await ensureIndexes(db);
    await ensureIndexes(db);
    const indexes = await db.collection(USERS_COLLECTION).indexes();
    expect(indexes.find((index) => index.name === EMAIL_INDEX)).toMatchObject({
      key: { email: 1 },
      unique: true,
    });
  });
});

describeMongo(`${label}: roles in stored documents`, () => {
  it('reads documents without roles as holding none, and drops role names no longer known', async () => {
    const db = await database();
    const users = db.collection<{ _id: string; [field: string]: unknown }>(USERS_COLLECTION);
    const base = { name: 'Old', passwordHash: 'x', createdAt: new Date('2025-01-01T00:00:00Z') };
    const [old, retired] = [randomUUID(), randomUUID()];
    await users.insertMany([
      { _id: old, email: 'old@example.com', ...base },
      { _id: retired, email: 'retired@example.com', ...base, roles: ['superuser', 'analyst'] },
    ]);
    const repository = new MongoUserRepository(db);
    expect((await repository.findById(old))?.roles).toEqual([]);
    expect((await repository.findById(retired))?.roles).toEqual(['analyst']);
    expect((await repository.grantRole(old, 'admin'))?.roles).toEqual(['admin']);
  });
});
