import { WrongExpectedVersionError } from './errors';

describe('WrongExpectedVersionError', () => {
  it('names the stream and both revisions', () => {
    const error = new WrongExpectedVersionError('bed-1.a', 3n, 4n);
    expect(error.code).toBe('WRONG_EXPECTED_VERSION');
    expect(error.message).toBe('Stream bed-1.a: expected revision 3, actual 4');
  });
});
