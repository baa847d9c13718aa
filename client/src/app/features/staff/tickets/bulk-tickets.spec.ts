import { clashingNumbers, parseBulkTickets } from './bulk-tickets';

describe('bulk entry of tickets', () => {
  it('reads blocks separated by blank lines as tickets numbered on from the next free number', () => {
    const text = '1. Қалыпты формалар.\n2. Индекстер.\n\n\n1. Транзакциялар.\n2. Құлыптар.\r\n\r\n   \n1. Репликация.';
    expect(parseBulkTickets(text, 4)).toEqual([
      { number: 4, questions: '1. Қалыпты формалар.\n2. Индекстер.' },
      { number: 5, questions: '1. Транзакциялар.\n2. Құлыптар.' },
      { number: 6, questions: '1. Репликация.' },
    ]);
  });

  it('takes the number from a heading line, in Kazakh, Russian or English', () => {
    const text = 'Тақырыпсыз кіріспе\nБилет №10\nСұрақ А\n\nБилет 12.\nВопрос Б\n\nTicket 3:\nQuestion C';
    expect(parseBulkTickets(text, 1)).toEqual([
      { number: 1, questions: 'Тақырыпсыз кіріспе' },
      { number: 10, questions: 'Сұрақ А' },
      { number: 12, questions: 'Вопрос Б' },
      { number: 3, questions: 'Question C' },
    ]);
  });

  it('keeps blank lines inside a ticket when headings number the tickets', () => {
    expect(parseBulkTickets('Билет 2\n\n1. Сұрақ\n\n2. Сұрақ\nБилет 3\nБилет 4\n3. Сұрақ', 1)).toEqual([
      { number: 2, questions: '1. Сұрақ\n\n2. Сұрақ' },
      { number: 4, questions: '3. Сұрақ' },
    ]);
  });

  it('reads nothing from blank text', () => {
    expect(parseBulkTickets('  \n\n ', 1)).toEqual([]);
  });

  it('finds numbers used twice or already taken by the exam', () => {
    expect(
      clashingNumbers(
        [
          { number: 2, questions: 'a' },
          { number: 5, questions: 'b' },
          { number: 5, questions: 'c' },
        ],
        [1, 2],
      ),
    ).toEqual([2, 5]);
    expect(clashingNumbers([{ number: 3, questions: 'a' }], [1, 2])).toEqual([]);
  });
});
