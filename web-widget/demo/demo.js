// Adds the widget loader exactly as a helpline's page would, with the language from ?lang=.
(() => {
  const lang = new URLSearchParams(location.search).get('lang') || 'en';
  const s = document.createElement('script');
  s.src = '/widget/widget.js';
  s.async = true;
  s.dataset.lang = lang;
  s.dataset.exitUrl = 'https://www.bbc.co.uk/weather';
  s.dataset.callbackAfterMinutes = '10';
  document.body.append(s);
})();
