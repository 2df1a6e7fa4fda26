// J8: staff assistance (帮办), the hotline, and a queue ticket where the site has a queue.
import { callStaffCompletionSchema, queueTicketCompletionSchema } from '@protocol';
import { useEffect } from 'preact/hooks';
import { Screen } from '../../components/screen';
import { useMachine } from '../../flow/use-machine';
import { useKiosk, useText } from '../../session/kiosk-context';
import { helpTransition, initialHelp, type HelpEvent } from './help-machine';
import { helpStrings } from './help-strings';

export function HelpJourney() {
  const kiosk = useKiosk();
  const t = useText(helpStrings);
  const [state, send] = useMachine((s, e: HelpEvent) => helpTransition(s, e), () => initialHelp, kiosk.clock);
  const hotline = kiosk.settings.hotline;

  useEffect(() => {
    if (state.kind === 'calling') {
      void kiosk.client.request('Help.CallStaff', { reason: 'general' }).then((reply) => send({ type: 'callDone', ok: reply.completionCode === 'success' && callStaffCompletionSchema.safeParse(reply.payload).success }));
    }
    if (state.kind === 'ticketing') {
      void kiosk.client.request('Help.QueueTicket', {}).then((reply) => {
        const parsed = queueTicketCompletionSchema.safeParse(reply.payload);
        if (reply.completionCode === 'success' && parsed.success) send({ type: 'ticketDone', number: parsed.data.number, waiting: parsed.data.waiting, printed: parsed.data.printed });
        else send({ type: 'ticketFailed' });
      });
    }
  }, [state.kind]);

  const back = () => send({ type: 'menu' });
  switch (state.kind) {
    case 'menu':
      return (
        <Screen id="help" title={t('title')} say={t('menuSay')}>
          <ul class="choices">
            <li>
              <button type="button" class="choice" data-action="help-call" onClick={() => send({ type: 'callStaff' })}>
                <span>{t('callStaff')}</span>
                <span class="choice-note">{t('callStaffNote')}</span>
              </button>
            </li>
            <li>
              <button type="button" class="choice" data-action="help-hotline" onClick={() => send({ type: 'hotline' })}>
                <span>
                  {t('hotline')} {hotline}
                </span>
                <span class="choice-note">{t('hotlineNote')}</span>
              </button>
            </li>
            <li>
              <button type="button" class="choice" data-action="help-ticket" aria-disabled={!kiosk.settings.queue} onClick={() => (kiosk.settings.queue ? send({ type: 'ticket' }) : kiosk.say(t('noQueue')))}>
                <span>{t('ticket')}</span>
                <span class="choice-note">{kiosk.settings.queue ? t('ticketNote') : `✕ ${t('noQueue')}`}</span>
              </button>
            </li>
          </ul>
        </Screen>
      );
    case 'calling':
    case 'ticketing':
      return (
        <Screen id={state.kind === 'calling' ? 'help-calling' : 'help-ticketing'} title={t('title')} say={t(state.kind)} noHome>
          <p class="lead" role="status">
            {t(state.kind)}
          </p>
        </Screen>
      );
    case 'called': {
      const text = state.ok ? t('called') : t('callFailed', { hotline });
      return (
        <Screen id="help-called" title={t('title')} say={text} onBack={back}>
          <p class="lead" role="status">
            <span aria-hidden="true">{state.ok ? '✓ ' : '⚠ '}</span>
            {text}
          </p>
        </Screen>
      );
    }
    case 'hotline':
      return (
        <Screen id="help-hotline" title={t('hotline')} say={t('hotlineBody', { hotline })} onBack={back}>
          <p class="big-number">☎ {hotline}</p>
          <p class="lead">{t('hotlineBody', { hotline })}</p>
        </Screen>
      );
    case 'ticket': {
      const text = `${t('ticketNumber', { number: state.number, waiting: state.waiting })} ${state.printed ? t('ticketPrinted') : t('ticketNotPrinted')}`;
      return (
        <Screen id="help-ticket" title={t('ticket')} say={text} onBack={back}>
          <p class="big-number" data-ticket-number>
            {state.number}
          </p>
          <p class="lead" role="status">
            <span aria-hidden="true">{state.printed ? '✓ ' : '⚠ '}</span>
            {text}
          </p>
        </Screen>
      );
    }
    case 'ticketFailed':
      return (
        <Screen
          id="help-ticket-failed"
          title={t('ticket')}
          say={t('ticketFailed')}
          onBack={back}
          actions={
            <button type="button" class="primary" onClick={() => send({ type: 'ticket' })}>
              {t('again')}
            </button>
          }
        >
          <p class="lead" role="alert">
            <span aria-hidden="true">⚠ </span>
            {t('ticketFailed')}
          </p>
        </Screen>
      );
  }
}
